import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { Plugin } from 'vite';

/** The most gzipped JavaScript the first page may load: 250 kB, in the kB of 1,000 bytes that Vite reports. */
export const FIRST_PAGE_BUDGET_BYTES = 250_000;

interface ChunkInfo {
  fileName: string;
  name: string;
  code: string;
  imports: string[];
  dynamicImports: string[];
  isEntry: boolean;
}

/** Gzipped and raw bytes of a group of chunks. */
export interface ChunkGroupSize {
  name: string;
  files: string[];
  bytes: number;
  gzipBytes: number;
}

/**
 * Reports what each page loads after `vite build`: the first page (the entry and its static
 * imports) and each lazily loaded chunk with the static imports the first page does not
 * already have. Sizes are gzip at zlib's default level, close to what CloudFront serves.
 * It prints a table, writes `dist/bundle-sizes.json` and fails the build when the first
 * page exceeds `FIRST_PAGE_BUDGET_BYTES`.
 */
export function bundleSizeReport(): Plugin {
  return {
    name: 'creditgate-bundle-size',
    apply: 'build',
    writeBundle(options, bundle) {
      const chunks = new Map<string, ChunkInfo>();
      for (const output of Object.values(bundle)) {
        if (output.type === 'chunk') chunks.set(output.fileName, output);
      }
      const entry = [...chunks.values()].find((chunk) => chunk.isEntry);
      if (!entry) return;

      const firstPage = collectStatic(entry.fileName, chunks, new Set());
      const groups: ChunkGroupSize[] = [measure('first page', firstPage, chunks)];
      const lazyRoots = [...chunks.values()].flatMap((chunk) =>
        firstPage.has(chunk.fileName) ? chunk.dynamicImports : [],
      );
      for (const root of new Set(lazyRoots)) {
        const files = collectStatic(root, chunks, new Set(firstPage));
        groups.push(measure(chunks.get(root)?.name ?? root, files, chunks));
      }

      const lines = groups.map(
        (group) =>
          `  ${group.name.padEnd(24)} ${kb(group.gzipBytes).padStart(9)} gzip  ${kb(group.bytes).padStart(9)} raw  (${group.files.length} files)`,
      );
      console.log(`\nJavaScript per page (gzip):\n${lines.join('\n')}`);
      const outDir = options.dir ?? 'dist';
      writeFileSync(join(outDir, 'bundle-sizes.json'), `${JSON.stringify(groups, null, 2)}\n`);

      const first = groups[0] as ChunkGroupSize;
      if (first.gzipBytes > FIRST_PAGE_BUDGET_BYTES) {
        this.error(
          `The first page loads ${kb(first.gzipBytes)} of gzipped JavaScript, more than the budget of ${kb(FIRST_PAGE_BUDGET_BYTES)}. Move code behind a lazy import.`,
        );
      }
    },
  };
}

/** Adds `fileName` and every chunk it imports statically, skipping those already in `seen`. */
function collectStatic(
  fileName: string,
  chunks: Map<string, ChunkInfo>,
  seen: Set<string>,
): Set<string> {
  const found = new Set<string>();
  const pending = [fileName];
  while (pending.length > 0) {
    const next = pending.pop() as string;
    if (seen.has(next) || found.has(next)) continue;
    found.add(next);
    pending.push(...(chunks.get(next)?.imports ?? []));
  }
  return found;
}

function measure(name: string, files: Set<string>, chunks: Map<string, ChunkInfo>) {
  let bytes = 0;
  let gzipBytes = 0;
  for (const file of files) {
    const code = Buffer.from(chunks.get(file)?.code ?? '');
    bytes += code.length;
    gzipBytes += gzipSync(code).length;
  }
  return { name, files: [...files].sort(), bytes, gzipBytes };
}

function kb(bytes: number): string {
  return `${(bytes / 1000).toFixed(1)} kB`;
}
