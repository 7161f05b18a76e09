package cli

import (
	"fmt"
	"io"

	kfn "github.com/kptdev/krm-functions-sdk/go/fn"

	"github.com/failoverkit/ipfailover/fn"
)

// runKRM is the KRM function: ResourceList in, ResourceList out. Error
// results are echoed to stderr and make the exit status 1 (kustomize and
// Argo CD show only stderr).
func runKRM(env Env) int {
	in, err := io.ReadAll(env.Stdin)
	if err != nil {
		fmt.Fprintf(env.Stderr, "ipfailover-render: reading stdin: %v\n", err)
		return ExitError
	}
	if err := fn.CheckResourceList(in); err != nil {
		fmt.Fprintf(env.Stderr, "ipfailover-render: stdin: %v (with no arguments, stdin must be a ResourceList; see --help)\n", err)
		return ExitError
	}
	rl, err := kfn.ParseResourceList(in)
	if err != nil {
		fmt.Fprintf(env.Stderr, "ipfailover-render: %v (with no arguments, stdin must be a ResourceList; see --help)\n", err)
		return ExitError
	}
	ok, _ := fn.Process(rl)
	out, err := fn.ResourceListYAML(rl)
	if err != nil {
		fmt.Fprintf(env.Stderr, "ipfailover-render: writing the ResourceList: %v\n", err)
		return ExitError
	}
	if _, err := env.Stdout.Write(out); err != nil {
		return ExitError
	}
	if code := report(env, rl.Results, true); code != ExitOK || !ok {
		return ExitError
	}
	return ExitOK
}

// runFiles renders the IPFailovers of files and directories into a YAML
// stream, passing the other objects through, after filling in what the
// environment settings provide (settings.go). On error stdout stays empty.
func runFiles(env Env, args []string) int {
	objs, err := readObjects(args)
	if err != nil {
		fmt.Fprintf(env.Stderr, "ipfailover-render: %v\n", err)
		return ExitError
	}
	applySettings(objs, env.LookupEnv)
	out := fn.Render(objs, nil)
	if code := report(env, out.Results, false); code != ExitOK {
		return code
	}
	if err := writeStream(env.Stdout, out.Items); err != nil {
		return ExitError
	}
	return ExitOK
}

// runLegacyPlugin is kustomize's legacy exec plugin protocol: the config in
// an environment variable (the argument is a file holding the same), the
// generated objects as a YAML stream on stdout. Being a generator, it does
// not read stdin.
func runLegacyPlugin(env Env, config string) int {
	if err := fn.CheckObjects([]byte(config)); err != nil {
		fmt.Fprintf(env.Stderr, "ipfailover-render: %s: %v\n", EnvPluginConfig, err)
		return ExitError
	}
	obj, err := kfn.ParseKubeObject([]byte(config))
	if err != nil {
		fmt.Fprintf(env.Stderr, "ipfailover-render: %s: %v\n", EnvPluginConfig, err)
		return ExitError
	}
	out := fn.Render(nil, obj)
	if code := report(env, out.Results, false); code != ExitOK {
		return code
	}
	if err := writeStream(env.Stdout, out.Generated); err != nil {
		return ExitError
	}
	return ExitOK
}
