/**
 * 4M-21's SAM instances as a condition from a picture: the editor's Objects (SAM) layer (instances
 * painted one flat colour each on black, as the host paints the model's masks, or an imported
 * painting) goes in as a picture, and here becomes the sam_instance text the FM reads: each colour
 * one object, each of its separate parts an instance and specks left out as 4M's data pipeline
 * drops them (readSamPainting in tokenizers/image/sam-encode.ts; the editor has no place for its
 * notes, the CLI prints them), cropped and tokenized by the SAM-instance
 * tokenizer's encoder (vq/official-sam-instance.ts), then held to the modality's length. Errors are
 * RequestErrors naming the layer and the object.
 */
import type { GenerationRequest } from '../../../preload/contract/generation';
import { SAM_INSTANCE_LAYER, SAM_INSTANCE_NAME } from '../../../preload/contract/sam-instance';
import type { RgbaImage } from '../../tokenizers/image';
import { readSamPainting } from '../../tokenizers/image/sam-encode';
import { encodeSamInstances, SAM_PICTURE_SIDE } from '../vq/official-sam-instance';
import type { OfficialModel } from './official-model';
import { OFFICIAL_TEXT_FILE } from './official-model';
import { checkOfficialSequenceInput } from './official-sequence';
import { RequestError } from './request-state';

/** A painting of instances → the sam_instance text; `layer` names it in errors. */
export async function samConditionText(model: Pick<OfficialModel, 'dir' | 'fm' | 'text' | 'samInstance'>, picture: RgbaImage, layer = SAM_INSTANCE_NAME): Promise<string> {
  if (!model.samInstance) throw new RequestError(`${layer}: as a condition it needs the SAM-instance tokenizer folder (tokenizers/sam-instance_1k_64/ in ${model.dir})`);
  if (!model.text) throw new RequestError(`${layer}: SAM instances are text to the model; it needs 4M's WordPiece file (${OFFICIAL_TEXT_FILE} in ${model.dir})`);
  const S = SAM_PICTURE_SIDE;
  if (picture.width !== S || picture.height !== S) throw new RequestError(`${layer}: a ${picture.width}×${picture.height} picture; the objects are read on the ${S}×${S} picture`);
  let masks;
  try {
    ({ masks } = readSamPainting(picture));
  } catch (error) {
    if (error instanceof RangeError) throw new RequestError(`${layer}: ${error.message}`);
    throw error;
  }
  const { text } = await encodeSamInstances(model.samInstance, masks);
  checkOfficialSequenceInput(model.text, SAM_INSTANCE_LAYER, text, model.fm.modality(SAM_INSTANCE_LAYER).positions, layer);
  return text;
}

/**
 * The requests (a job's variations, which share their inputs) with a picture given for sam_instance
 * replaced by its text, read once for all of them; the same requests when there is none.
 */
export async function withSamConditionText(
  model: Pick<OfficialModel, 'dir' | 'fm' | 'text' | 'samInstance'>, requests: readonly GenerationRequest[], resolvePixels: (ref: string) => Promise<RgbaImage>,
): Promise<readonly GenerationRequest[]> {
  const input = requests[0]?.inputs[SAM_INSTANCE_LAYER];
  if (input?.kind !== 'image-pixels') return requests;
  const text = await samConditionText(model, await resolvePixels(input.ref));
  return requests.map((r) => ({ ...r, inputs: { ...r.inputs, [SAM_INSTANCE_LAYER]: { kind: 'text', text } } }));
}
