import { describe, expect, it } from 'vitest';
import { TargetRequest } from '../../../../preload/contract/generation';
import { describeImageSampling, PICTURE_SAMPLING, pictureSourceOf, pictureTarget, PREDICTION_SAMPLING, sequenceTemperature } from '../../../../preload/contract/sampling-defaults';

describe('sampling defaults (one table for the editor, the CLI, the evaluation and the bench)', () => {
  it('every default is a valid target request', () => {
    for (const source of ['layout', 'words'] as const) expect(TargetRequest.safeParse(pictureTarget('tok_rgb@128', source)).success).toBe(true);
    expect(TargetRequest.safeParse({ modality: 'tok_depth@128', ...PREDICTION_SAMPLING }).success).toBe(true);
  });

  it('captions alone make a picture from words; any image or box condition makes it a layout', () => {
    expect(pictureSourceOf(['caption'])).toBe('words');
    expect(pictureSourceOf(['semseg'])).toBe('layout');
    expect(pictureSourceOf(['semseg', 'caption'])).toBe('layout');
    expect(pictureSourceOf(['det'])).toBe('layout');
    expect(pictureSourceOf([])).toBe('layout');
  });

  it('overrides replace single fields', () => {
    expect(pictureTarget('tok_rgb@128', 'words', { steps: 4 })).toEqual({ modality: 'tok_rgb@128', ...PICTURE_SAMPLING.words, steps: 4 });
  });

  it('describes settings in words for reports', () => {
    expect(describeImageSampling({ ...PICTURE_SAMPLING.layout, scheme: 'maskgit', steps: 8, temperature: 1, temperatureSchedule: 'linear', tokenSchedule: 'cosine', topK: 0, topP: 0.9, cfgScale: 3, neighbourAgreement: 0 })).toBe(
      'MaskGIT 8 steps (cosine), T 1 cooling linearly, top-p 0.9, guidance 3',
    );
    expect(describeImageSampling(PICTURE_SAMPLING.layout)).toBe('ROAR 16 steps (cosine), T 1 cooling linearly, top-p 0.9, smoothing 1, guidance 3');
    expect(describeImageSampling(PREDICTION_SAMPLING)).toContain('ROAR 1 step ');
  });

  it('sequence temperatures: captions a little varied, boxes more, the rest near greedy', () => {
    expect(sequenceTemperature('caption')).toBe(0.3);
    expect(sequenceTemperature('det')).toBe(0.7);
    expect(sequenceTemperature('color_palette')).toBe(0.1);
    expect(sequenceTemperature('sam_instance')).toBe(0.01);
  });
});
