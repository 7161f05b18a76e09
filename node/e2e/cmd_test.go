//go:build linux

package e2e

import (
	"context"
	"fmt"
	"os/exec"
	"strings"
	"time"
)

// cmdTimeout bounds every command a scenario runs itself.
const cmdTimeout = 15 * time.Second

// runHost runs a command from the test binary's namespace. Scenarios only
// use it for commands aimed at a lab namespace by name (`ip -n <ns> ...`).
func runHost(args ...string) (string, error) {
	ctx, cancel := context.WithTimeout(context.Background(), cmdTimeout)
	defer cancel()
	out, err := exec.CommandContext(ctx, args[0], args[1:]...).CombinedOutput()
	if err != nil {
		return string(out), fmt.Errorf("%s: %w: %s", strings.Join(args, " "), err, out)
	}
	return string(out), nil
}
