import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

/**
 * The project maps name files in backticks, so this test finds every such path and fails
 * when one no longer exists, such as after a move or a rename. Templates with `<area>`,
 * `{id}` or `*` are skipped.
 */

const repositoryRoot = new URL('../', import.meta.url);
const mapDocuments = ['docs/file-map.md', 'docs/data-model.md'];
const topLevelEntries = ['shared/', 'functions/', 'web/', 'infra/', 'docs/', 'scripts/', 'bench/'];
const rootFiles = ['package.json', 'README.md', 'biome.json', 'cdk.json', 'vitest.config.ts'];

/** Returns the backticked paths of a Markdown text, without templates. */
function pathsIn(markdown: string): string[] {
  const spans = [...markdown.matchAll(/`([^`\n]+)`/g)].map((match) => match[1] as string);
  return spans.filter(
    (span) =>
      (topLevelEntries.some((entry) => span.startsWith(entry)) || rootFiles.includes(span)) &&
      !/[<>{}*\s]/.test(span),
  );
}

describe.each(mapDocuments)('%s', (document) => {
  const markdown = readFileSync(new URL(document, repositoryRoot), 'utf8');
  const paths = [...new Set(pathsIn(markdown))];

  it('names paths', () => {
    expect(paths.length, `backticked paths in ${document}`).toBeGreaterThan(5);
  });

  it.each(paths)('names existing %s', (path) => {
    expect(existsSync(new URL(path, repositoryRoot)), `${path} named in ${document}`).toBe(true);
  });
});
