/**
 * A jest reporter that ends the run with one plain note naming the suites
 * left out because a program they need is missing (see required-tools.js).
 * Only the suites this run would have run are named: `jest test/unit` says
 * nothing about the nginx suites.
 */
import { writeSync } from 'node:fs';
import { skipNote } from './required-tools.js';

export default class SkippedSuitesReporter {
  /**
   * @param {import('@jest/types').Config.GlobalConfig} globalConfig
   * @param {{ skipped?: import('./required-tools.js').SkippedSuite[] }} options
   */
  constructor(globalConfig, options) {
    this.globalConfig = globalConfig;
    this.skipped = options.skipped ?? [];
  }

  onRunComplete() {
    const { testPathPatterns, rootDir } = this.globalConfig;
    const executor = testPathPatterns.isSet() ? testPathPatterns.toExecutor({ rootDir }) : undefined;
    const inScope = executor ? this.skipped.filter((suite) => executor.isMatch(suite.file)) : this.skipped;
    const note = skipNote(inScope, this.globalConfig.rootDir);
    // Jest prints its summary after every reporter: say it on exit, so it is the last word.
    if (note) process.once('exit', () => writeSync(2, `\n${note}\n`));
  }
}
