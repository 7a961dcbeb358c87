/** Types for required-tools.js (plain JavaScript so that jest.config.js can import it). */
export type Tool = 'nginx' | 'chromium';
export type Env = Readonly<Record<string, string | undefined>>;
export interface SkippedSuite {
  file: string;
  missing: Tool[];
}
export declare const TOOLS: {
  readonly [T in Tool]: { readonly variable: string; readonly candidates: readonly string[]; readonly debianPackage: string };
};
export declare function toolPath(tool: Tool, env?: Env): string | undefined;
export declare function underCi(env?: Env): boolean;
export declare function declaredTools(file: string): Tool[];
export declare function testFiles(dir: string): string[];
export declare function suitesToSkip(testDir: string, env?: Env): SkippedSuite[];
export declare function skipNote(skipped: readonly SkippedSuite[], rootDir: string): string;
