// Command ipflab brings the local Kubernetes lab up and down (make lab,
// make lab-down): see package cluster and the README.
//
//	ipflab up   -dir DIR -bins DIR [-nodes 3] [-image ARCHIVE]... -sandbox-image REF
//	ipflab down -dir DIR
//	ipflab info -dir DIR
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"os"
	"os/signal"
	"strings"
	"syscall"

	"github.com/failoverkit/ipfailover/lab/cluster"
)

type listFlag []string

func (l *listFlag) String() string     { return strings.Join(*l, ",") }
func (l *listFlag) Set(v string) error { *l = append(*l, v); return nil }

const usage = `usage: ipflab up|down|info [flags]

  up    bring the lab up (a control plane and worker nodes in network
        namespaces) and print how to use it
  down  take the lab down, leaving the machine as it was
  info  print the lab's lab.json

Run it through make: make lab, make lab-down (see the README).
`

func main() {
	cluster.RunHelper()
	if len(os.Args) < 2 || os.Args[1] == "-h" || os.Args[1] == "--help" || os.Args[1] == "help" {
		fmt.Print(usage)
		return
	}
	fs := flag.NewFlagSet("ipflab "+os.Args[1], flag.ExitOnError)
	dir := fs.String("dir", "bin/lab", "the lab's directory")
	bins := fs.String("bins", "", "directory of the Kubernetes binaries")
	nodes := fs.Int("nodes", 3, "worker nodes")
	sandbox := fs.String("sandbox-image", "", "the pause image's reference")
	var images listFlag
	fs.Var(&images, "image", "image archive to import into every node (repeatable)")
	_ = fs.Parse(os.Args[2:])
	log := slog.New(slog.NewTextHandler(os.Stderr, nil))
	var err error
	switch os.Args[1] {
	case "up":
		err = up(log, cluster.Config{Dir: *dir, Bins: *bins, Nodes: *nodes, Images: images, SandboxImage: *sandbox, Log: log})
	case "down":
		err = cluster.Down(*dir)
		if errors.Is(err, cluster.ErrNotUp) {
			fmt.Println("ipflab: no lab is up in", *dir)
			err = nil
		} else if err == nil {
			fmt.Println("ipflab: the lab is down")
		}
	case "info":
		var data []byte
		if _, err = cluster.Load(*dir); err == nil {
			data, err = os.ReadFile(*dir + "/lab.json")
			os.Stdout.Write(data)
		}
	default:
		err = fmt.Errorf("unknown mode %q\n%s", os.Args[1], usage)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "ipflab:", err)
		os.Exit(1)
	}
}

func up(log *slog.Logger, cfg cluster.Config) error {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	l, err := cluster.Up(ctx, cfg)
	if err != nil {
		return err
	}
	fmt.Printf(`The lab is up: %d nodes, Kubernetes from k8s.io/kubernetes.

  export KUBECONFIG=%s
  kubectl get nodes -o wide

`, len(l.Nodes), l.Kubeconfig)
	for _, n := range l.Nodes {
		fmt.Printf("  %-9s %-13s ip -n %s -br addr show dev %s\n", n.Name, n.Address, n.Netns, n.Interface)
	}
	fmt.Printf("  client    %-13s ip netns exec %s bash   (a shell outside the nodes)\n\n", l.Client.Address, l.Client.Netns)
	fmt.Printf("The same as JSON: %s/lab.json. Take it down with: make lab-down\n", l.Dir)
	return nil
}
