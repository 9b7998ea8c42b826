/**
 * The young generation every server an HTTP benchmark compares gets, as node flags.
 *
 * V8 sizes a process's young generation (its semi-spaces) from what survives each
 * scavenge, and shrinks it after an idle gap. A server's young generation at the start of
 * a measured run then depends on its history (how long it sat idle while the others ran,
 * what load it saw before), and at one stream per connection the bench's re-warm does not
 * grow it back: the figure would partly measure the server's history. Holding the
 * semi-spaces at one fixed size in every server measured (Tandem and the references
 * alike) takes that out. 16 MB is the most V8 gives a semi-space by itself (Node 20 on
 * 64-bit, a machine with this much memory: a process that keeps allocating grows to it):
 * the size a server under sustained load reaches anyway, not one picked to favour a server.
 */
export const BENCH_SEMI_SPACE_MB = 16;

/** Node flags fixing the semi-spaces at `semiSpaceMb`; none for 0 (V8 sizes them itself). */
export const youngGenerationFlags = (semiSpaceMb: number): string[] =>
  semiSpaceMb > 0 ? [`--min-semi-space-size=${semiSpaceMb}`, `--max-semi-space-size=${semiSpaceMb}`] : [];

/** What a method text says about the young generation the servers ran with. */
export const describeYoungGeneration = (semiSpaceMb: number): string =>
  semiSpaceMb > 0
    ? `Every server process (Tandem's and the references' alike) started with the same fixed young generation, \`${youngGenerationFlags(semiSpaceMb).join(' ')}\`${semiSpaceMb === BENCH_SEMI_SPACE_MB ? ' (the most V8 grows a semi-space to by itself, held there)' : ''}: an idle gap cannot shrink it, so a server's history (how long it sat idle, its place in a round) does not decide its figures`
    : "Every server process with V8's own young-generation sizing (no semi-space flags: an idle gap shrinks it, and a server's history moves its figures)";
