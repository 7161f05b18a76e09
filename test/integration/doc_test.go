// Package integration_test runs the renderer through the tools that
// consume it, as users run them, and the container images:
//
//   - kustomize (standalone v5.8.2, installed into bin/tools on first use):
//     the exec KRM function of examples/kustomize, and the container one;
//   - kubectl kustomize: the legacy exec plugin (examples/kustomize/kubectl,
//     installed by hack/install-kustomize-plugin.sh), and the trap of the
//     annotated directory, which it skips silently;
//   - kpt (on $PATH; it cannot be built here): fn render of examples/kpt and
//     of the repository's root package, three renders byte-identical, fn
//     eval, and validation failures as results with field paths;
//   - the Argo CD component of deploy/argocd, built onto a repo-server;
//   - the function and node images (hack/images.sh), built without pulling
//     anything: image pipeline steps and container functions give what
//     the exec function gives; the node image's agent and iptables work in
//     a network namespace of their own.
//
// Every error path is checked for the field and the reason in what the
// tool shows a person. A test whose tool cannot be had (no kpt, no
// docker, no network for go install) skips with a loud message, except
// under CI=true, where it fails. go test ./test/integration -update
// rewrites the expected outputs (examples/*/.expected).
package integration_test
