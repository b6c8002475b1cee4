import { describe, expect, test } from 'vitest';
import { createDocument } from '../../../../renderer/src/document';
import { canTakeRole, impossibleRoles, roleChoices, roleProblem } from '../../../../renderer/src/generation/roles';
import { limitedManifest, testManifest } from '../document/fixtures';

const label = (id: string): string => ({ det: 'Boxes (COCO)', caption: 'Caption', depth: 'Depth', rgb: 'RGB' })[id] ?? id;

describe('what the model can do with a layer', () => {
  test('absent limits: every role (bundled models, older projects)', () => {
    for (const m of testManifest().modalities) for (const role of ['condition', 'generate', 'ignore'] as const) expect(canTakeRole(testManifest(), m.id, role)).toBe(true);
  });

  test('the role menu: the impossible role disabled with why, ignore always offered', () => {
    const m = limitedManifest();
    expect(roleChoices(m, 'det', label)).toEqual([
      { role: 'condition', unavailable: null },
      { role: 'generate', unavailable: 'this model cannot generate Boxes (COCO)' },
      { role: 'ignore', unavailable: null },
    ]);
    expect(roleChoices(m, 'depth', label).map((c) => c.unavailable)).toEqual(['this model cannot take Depth as a condition', null, null]);
    expect(roleChoices(m, 'rgb', label).every((c) => c.unavailable === null)).toBe(true);
    // A layer the manifest does not have takes no role but ignore.
    expect(roleProblem(m, 'nope', 'generate', label)).toBe('this model cannot generate nope');
    expect(canTakeRole(m, 'nope', 'ignore')).toBe(true);
  });

  test('a document whose roles the model cannot do (a project made for another model) names each layer', () => {
    const doc = createDocument(limitedManifest());
    expect(impossibleRoles(doc, label)).toEqual([]);
    const d = { ...doc, layers: new Map([...doc.layers].map(([id, l]) => [id, id === 'caption' ? { ...l, role: 'generate' as const } : id === 'depth' ? { ...l, role: 'condition' as const } : l])) };
    expect(impossibleRoles(d, label)).toEqual([
      { id: 'depth', reason: 'this model cannot take Depth as a condition' },
      { id: 'caption', reason: 'this model cannot generate Caption' },
    ]);
  });

  test('Objects (SAM) is only generated: condition is disabled saying why', () => {
    const m = { ...limitedManifest(), modalities: [...limitedManifest().modalities, { id: 'sam_instance', kind: 'image' as const, channels: 3 as const, label: 'Objects (SAM)', canCondition: false }] };
    expect(roleChoices(m, 'sam_instance', () => 'Objects (SAM)')).toEqual([
      { role: 'condition', unavailable: 'Objects (SAM) is only generated (its picture of the objects cannot be sent back to the model)' },
      { role: 'generate', unavailable: null },
      { role: 'ignore', unavailable: null },
    ]);
  });
});
