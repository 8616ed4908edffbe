// The GitHub Actions workflow `rollcall init` writes: nightly and on demand, reports kept as an artifact.

/** Where the workflow goes, relative to the folder being initialised. */
export const WORKFLOW_PATH = '.github/workflows/rollcall.yml';

/**
 * The workflow. The embedded cluster is built from Go sources on first use (12-16 minutes on
 * 2 cores) and cached per rollcall version; Go is set up only when that cache misses.
 */
export const WORKFLOW = `# rollcall: DaemonSet rollout and chaos scenarios (scenarios/*.ts), nightly and on demand.
name: rollcall

on:
  schedule:
    - cron: '23 3 * * *'
  workflow_dispatch:

permissions:
  contents: read
  checks: write # the JUnit check run

jobs:
  scenarios:
    runs-on: ubuntu-latest
    timeout-minutes: 60
    steps:
      - uses: actions/checkout@v5
      - uses: actions/setup-node@v5
        with:
          node-version: 24
      - run: npm ci || npm install
      - name: rollcall version (the cache key)
        id: rollcall
        run: echo "version=$(node -p "require('rollcall/package.json').version")" >> "$GITHUB_OUTPUT"
      - name: Cache the embedded cluster (kube-apiserver, controller-manager, scheduler, etcd, kwok)
        id: toolchain
        uses: actions/cache@v4
        with:
          path: ~/.cache/rollcall
          key: rollcall-toolchain-\${{ runner.os }}-\${{ steps.rollcall.outputs.version }}
          restore-keys: rollcall-toolchain-\${{ runner.os }}-
      # Go and its caches are needed only to build what the cache lacks (a new rollcall version may
      # pin new component versions; rollcall checks each one and rebuilds only those).
      - if: steps.toolchain.outputs.cache-hit != 'true'
        uses: actions/setup-go@v6
        with:
          go-version: '1.26'
          cache: false
      - if: steps.toolchain.outputs.cache-hit != 'true'
        uses: actions/cache@v4
        with:
          path: |
            ~/go/pkg/mod
            ~/.cache/go-build
          key: rollcall-go-\${{ runner.os }}-\${{ steps.rollcall.outputs.version }}
          restore-keys: rollcall-go-\${{ runner.os }}-
      # rollcall writes the job summary itself (verdict, one row per scenario, failed assertions,
      # timings) to $GITHUB_STEP_SUMMARY; reports/latest/ holds index.html, report.json and junit.xml.
      - run: npx rollcall run
      - if: always()
        uses: actions/upload-artifact@v4
        with:
          name: rollcall-reports
          path: reports/
          if-no-files-found: ignore
      - if: always()
        uses: mikepenz/action-junit-report@v5
        with:
          report_paths: reports/latest/junit.xml
          check_name: rollcall
`;
