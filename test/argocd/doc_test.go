// Package argocd_test is the end-to-end test of the ipfailover config
// management plugin of Argo CD (deploy/argocd): it runs Argo CD's real
// argocd-cmp-server (built from this module, cmd/argocd-cmp-server) with
// the plugin's plugin.yaml and the ipfailover-render binary, and talks to
// it as argocd-repo-server does, with Argo CD's own client packages:
// discovery (util/app/discovery), the repository stream (util/cmp), the
// environment of a manifest request and the manifest split
// (gitops-engine's kube.SplitYAML).
//
// The module is separate from the product's so that Argo CD's dependency
// tree stays out of the product's go.mod. Building argocd-cmp-server
// cold takes minutes (see hack/integration.mk); Go's build cache makes
// later runs fast.
//
// TestSidecarImage runs the server inside the function image, laid out as
// deploy/argocd/repo-server-patch.yaml lays out the sidecar; it needs
// docker and skips loudly without it, except under CI=true.
package argocd_test
