/**
 * The layering rules of STYLE.md §3.1, enforced by dependency-cruiser (`scripts/check-layers`,
 * run by scripts/test). A violation fails the suite with one line per offending import.
 */
'use strict';

/** control/'s folders from low to high: a folder may import only folders before it (and itself). */
const CONTROL_LAYERS = require('./control/layers.json');

const layerRules = CONTROL_LAYERS.flatMap((low, i) => {
  const higher = CONTROL_LAYERS.slice(i + 1);
  if (higher.length === 0) return [];
  return [{
    name: `control-layers:${low}`,
    comment: `control/${low}/ is below ${higher.join(', ')} (control/layers.json): it must not import them`,
    severity: 'error',
    from: { path: `^control/${low}/` },
    to: { path: `^control/(${higher.join('|')})/` },
  }];
});

module.exports = {
  forbidden: [
    {
      name: 'no-folder-cycles',
      comment: 'two folders import each other (directly or through others): move the shared part below both',
      severity: 'error',
      scope: 'folder',
      from: {},
      to: { circular: true },
    },
    {
      name: 'no-module-cycles',
      comment: 'modules that import each other',
      severity: 'error',
      from: {},
      to: { circular: true, dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'lib-is-the-bottom',
      comment: 'lib/ holds what every part shares (the child-process runner): it imports nothing from the rest of tinykube',
      severity: 'error',
      from: { path: '^lib/' },
      to: { path: '^(control|agent|cri|netproxy|cli|test)/' },
    },
    {
      name: 'cri-imports-nothing-above',
      comment: 'cri/ is the container runtime adapter: it imports nothing from control/, agent/, netproxy/ or cli/',
      severity: 'error',
      from: { path: '^cri/' },
      to: { path: '^(control|agent|netproxy|cli)/' },
    },
    {
      name: 'node-side-uses-only-shared-control',
      comment: 'agent/ and netproxy/ import only control/api, control/client and control/util (their testing/ doubles may use the control plane\'s test environments)',
      severity: 'error',
      from: { path: '^(agent|netproxy)/', pathNot: '/testing/' },
      to: { path: '^control/', pathNot: '^control/(api|client|util)/' },
    },
    {
      name: 'netproxy-stands-alone',
      comment: 'netproxy/ knows no runtime and no agent',
      severity: 'error',
      from: { path: '^netproxy/' },
      to: { path: '^(agent|cri|cli)/' },
    },
    {
      name: 'control-knows-no-node',
      comment: 'the control plane imports nothing from agent/, cri/, netproxy/ or cli/',
      severity: 'error',
      from: { path: '^control/' },
      to: { path: '^(agent|cri|netproxy|cli)/' },
    },
    {
      name: 'cli-is-the-top',
      comment: 'nothing but tests imports the command line',
      severity: 'error',
      from: { path: '^(control|agent|cri|netproxy)/' },
      to: { path: '^cli/' },
    },
    {
      name: 'no-test-code-in-production',
      comment: 'production modules never import tests, test helpers or testing/ doubles',
      severity: 'error',
      from: { path: '^(lib|cli|control|agent|cri|netproxy)/', pathNot: '/testing/' },
      to: { path: '(/testing/|^test/)' },
    },
    {
      name: 'control-root-is-the-top',
      comment: "control/'s root files (control-plane.ts) assemble the control plane: nothing in a folder imports them",
      severity: 'error',
      from: { path: '^control/[^/]+/' },
      to: { path: '^control/[^/]+\\.ts$' },
    },
    {
      name: 'control-folders-are-layered',
      comment: 'every folder of control/ has its place in control/layers.json',
      severity: 'error',
      from: { path: '^control/[^/]+/' },
      to: { path: `^control/(?!(${CONTROL_LAYERS.join('|')})/)[^/]+/` },
    },
    ...layerRules,
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    // Tests are left out, as Go's external test packages are: a test may import anything above the
    // code it tests (its harness). testing/ doubles are production-shaped code and obey every rule.
    exclude: { path: '(^dist/|^node_modules/|/generated/|\\.test\\.ts$|/testdata/)' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { extensions: ['.ts', '.js', '.json'] },
  },
};
