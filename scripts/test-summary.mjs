// Sums the machine-readable results that `npm test` leaves in test-results/ and prints the one line
// CI reads: `N passed, N failed`. A suite that did not run (missing file) is named, and a run that
// counted no test at all fails, so "tested nothing" can never look green.
import { existsSync, readFileSync } from 'node:fs';

const suites = [
  { name: 'unit+integration (vitest)', file: 'test-results/unit-summary.json', read: readVitest },
  { name: 'e2e (playwright)', file: 'test-results/e2e-summary.json', read: (j) => j },
];

function readVitest(json) {
  // A file that failed to load has no assertion results: count it as one failure so it is visible.
  const brokenFiles = (json.testResults ?? []).filter(
    (file) => file.status === 'failed' && (file.assertionResults ?? []).length === 0,
  ).length;
  return {
    passed: json.numPassedTests ?? 0,
    failed: (json.numFailedTests ?? 0) + brokenFiles,
    skipped: (json.numPendingTests ?? 0) + (json.numTodoTests ?? 0),
  };
}

let passed = 0;
let failed = 0;
let skipped = 0;
let missing = 0;
for (const suite of suites) {
  if (!existsSync(suite.file)) {
    console.log(`suite not run: ${suite.name}`);
    missing++;
    continue;
  }
  const counts = suite.read(JSON.parse(readFileSync(suite.file, 'utf8')));
  console.log(
    `${suite.name}: ${counts.passed} passed, ${counts.failed} failed, ${counts.skipped ?? 0} skipped`,
  );
  passed += counts.passed;
  failed += counts.failed;
  skipped += counts.skipped ?? 0;
}
console.log(`${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exit(failed > 0 || passed === 0 || missing > 0 ? 1 : 0);
