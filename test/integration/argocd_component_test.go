package integration_test

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	"sigs.k8s.io/yaml"
)

// repoServerStub is argocd-repo-server as Argo CD v3.3's install.yaml
// declares it (without a namespace), reduced to what the component's patch
// relies on: the var-files volume (the init container copies
// argocd-cmp-server there) and the plugins volume (the sockets).
const repoServerStub = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: argocd-repo-server
spec:
  selector:
    matchLabels:
      app.kubernetes.io/name: argocd-repo-server
  template:
    metadata:
      labels:
        app.kubernetes.io/name: argocd-repo-server
    spec:
      initContainers:
      - name: copyutil
        image: quay.io/argoproj/argocd:v3.3.9
        command: [/bin/cp, -n, /usr/local/bin/argocd, /var/run/argocd/argocd-cmp-server]
        volumeMounts:
        - name: var-files
          mountPath: /var/run/argocd
      containers:
      - name: argocd-repo-server
        image: quay.io/argoproj/argocd:v3.3.9
        volumeMounts:
        - name: plugins
          mountPath: /home/argocd/cmp-server/plugins
      volumes:
      - name: var-files
        emptyDir: {}
      - name: plugins
        emptyDir: {}
`

// TestArgoCDComponent builds deploy/argocd onto a repo-server and checks
// the result a cluster would get: the sidecar runs argocd-cmp-server from
// var-files as Argo CD's user, every mount has its volume, and the plugin
// configuration mounted is deploy/argocd/plugin.yaml, in a ConfigMap whose
// name the kustomization hashed and the volume follows.
func TestArgoCDComponent(t *testing.T) {
	dir := t.TempDir()
	component, err := filepath.Abs(filepath.Join(repoRoot, "deploy/argocd"))
	if err != nil {
		t.Fatal(err)
	}
	rel, err := filepath.Rel(dir, component)
	if err != nil {
		t.Fatal(err)
	}
	writeFile(t, filepath.Join(dir, "repo-server.yaml"), repoServerStub)
	writeFile(t, filepath.Join(dir, "kustomization.yaml"), "apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nnamespace: argocd\nresources:\n- repo-server.yaml\ncomponents:\n- "+rel+"\n")
	out := mustRun(t, dir, nil, kustomize(t), "build", ".")

	var deploy appsv1.Deployment
	var cm corev1.ConfigMap
	for _, doc := range strings.Split(out, "\n---\n") {
		switch {
		case strings.Contains(doc, "kind: Deployment\n"):
			if err := yaml.UnmarshalStrict([]byte(doc), &deploy); err != nil {
				t.Fatalf("the patched Deployment: %v", err)
			}
		case strings.Contains(doc, "kind: ConfigMap\n"):
			if err := yaml.UnmarshalStrict([]byte(doc), &cm); err != nil {
				t.Fatalf("the ConfigMap: %v", err)
			}
		}
	}
	plugin, err := os.ReadFile(filepath.Join(component, "plugin.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(cm.Name, "ipfailover-cmp-plugin-") || cm.Namespace != "argocd" || cm.Data["plugin.yaml"] != string(plugin) {
		t.Errorf("ConfigMap %s/%s with plugin.yaml %q; want a hashed ipfailover-cmp-plugin in argocd holding deploy/argocd/plugin.yaml", cm.Namespace, cm.Name, cm.Data["plugin.yaml"])
	}

	spec := deploy.Spec.Template.Spec
	volumes := map[string]corev1.Volume{}
	for _, v := range spec.Volumes {
		volumes[v.Name] = v
	}
	var names []string
	var sidecar corev1.Container
	for _, c := range spec.Containers {
		names = append(names, c.Name)
		if c.Name == "ipfailover-cmp" {
			sidecar = c
		}
	}
	if len(names) != 2 || !slices.Contains(names, "argocd-repo-server") || sidecar.Name == "" {
		t.Fatalf("containers %v: the repo-server's and the sidecar ipfailover-cmp expected", names)
	}
	if len(sidecar.Command) != 1 || sidecar.Command[0] != "/var/run/argocd/argocd-cmp-server" {
		t.Errorf("the sidecar runs %v, not Argo CD's argocd-cmp-server from var-files", sidecar.Command)
	}
	if sc := sidecar.SecurityContext; sc == nil || sc.RunAsUser == nil || *sc.RunAsUser != 999 {
		t.Errorf("the sidecar does not run as Argo CD's user 999: %+v", sc)
	}
	mounts := map[string]string{}
	for _, m := range sidecar.VolumeMounts {
		v, ok := volumes[m.Name]
		if !ok {
			t.Errorf("mount %s has no volume", m.Name)
		}
		mounts[m.MountPath] = m.Name
		if m.MountPath == "/home/argocd/cmp-server/config/plugin.yaml" {
			if v.ConfigMap == nil || v.ConfigMap.Name != cm.Name || m.SubPath != "plugin.yaml" {
				t.Errorf("plugin.yaml is mounted from %+v (subPath %q), not from ConfigMap %s", v.VolumeSource, m.SubPath, cm.Name)
			}
		}
	}
	for path, volume := range map[string]string{
		"/var/run/argocd":                 "var-files",
		"/home/argocd/cmp-server/plugins": "plugins",
		"/tmp":                            "ipfailover-cmp-tmp",
	} {
		if mounts[path] != volume {
			t.Errorf("%s is mounted from %q, want the volume %s", path, mounts[path], volume)
		}
	}
	if v := volumes["ipfailover-cmp-tmp"]; v.EmptyDir == nil {
		t.Errorf("the sidecar's /tmp is %+v, want its own emptyDir", v.VolumeSource)
	}
}
