package cluster

import (
	"context"
	"fmt"
	"strings"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/types"
	"k8s.io/client-go/kubernetes"
	"k8s.io/client-go/tools/clientcmd"
)

// WorkerRoleLabel is the label Up puts on every node, as OpenShift's
// workers carry it (the documentation's nodeSelector).
const WorkerRoleLabel = "node-role.kubernetes.io/worker"

type client struct{ cs kubernetes.Interface }

// NewClientset returns a clientset for a kubeconfig of the lab.
func NewClientset(kubeconfig string) (*kubernetes.Clientset, error) {
	rc, err := clientcmd.BuildConfigFromFlags("", kubeconfig)
	if err != nil {
		return nil, fmt.Errorf("kubeconfig %s: %w", kubeconfig, err)
	}
	rc.QPS, rc.Burst = 50, 100
	return kubernetes.NewForConfig(rc)
}

func newClient(kubeconfig string) (*client, error) {
	cs, err := NewClientset(kubeconfig)
	if err != nil {
		return nil, err
	}
	return &client{cs: cs}, nil
}

func (c *client) ready(ctx context.Context) error {
	body, err := c.cs.Discovery().RESTClient().Get().AbsPath("/readyz").DoRaw(ctx)
	if err != nil {
		return fmt.Errorf("/readyz: %w: %s", err, strings.TrimSpace(string(body)))
	}
	return nil
}

func (c *client) nodesReady(ctx context.Context, want int) error {
	nodes, err := c.cs.CoreV1().Nodes().List(ctx, metav1.ListOptions{})
	if err != nil {
		return err
	}
	ready := 0
	var notReady []string
	for _, n := range nodes.Items {
		ok := false
		for _, cond := range n.Status.Conditions {
			if cond.Type == corev1.NodeReady {
				ok = cond.Status == corev1.ConditionTrue
				if !ok {
					notReady = append(notReady, n.Name+": "+cond.Message)
				}
			}
		}
		if ok {
			ready++
		}
	}
	if ready < want {
		return fmt.Errorf("%d of %d nodes Ready (registered: %d; %s)", ready, want, len(nodes.Items), strings.Join(notReady, "; "))
	}
	return nil
}

func (c *client) labelWorker(ctx context.Context, name string) error {
	patch := fmt.Sprintf(`{"metadata":{"labels":{%q:""}}}`, WorkerRoleLabel)
	_, err := c.cs.CoreV1().Nodes().Patch(ctx, name, types.MergePatchType, []byte(patch), metav1.PatchOptions{})
	if err != nil {
		return fmt.Errorf("labelling node %s: %w", name, err)
	}
	return nil
}
