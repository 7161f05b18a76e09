// Package cli is the shell of the ipfailover-render binary: it picks the
// mode from the arguments and the environment, does the I/O, and hands the
// objects to package fn, which renders them.
//
// Modes:
//   - no arguments, a ResourceList on stdin: a KRM function (kpt, kustomize);
//   - KUSTOMIZE_PLUGIN_CONFIG_STRING set: a legacy kustomize exec plugin;
//   - files or directories: render every IPFailover found into a YAML stream
//     (an Argo CD config management plugin's generate command);
//   - "ipfailover [NAME] --flags": the oc adm ipfailover flags as a spec;
//   - "import FILE...": a hand-written Deployment as a spec;
//   - "discover [DIR]": whether DIR is an Argo CD plugin application.
package cli
