//go:build linux

package nstest

import (
	"fmt"
	"math/rand/v2"
	"os"
	"strconv"
	"sync/atomic"
)

// counter numbers the namespaces and labs of this process.
var counter atomic.Uint32

// runID is fixed per process: base-36 PID plus two random letters, so that
// a PID reused by a later run cannot collide with leftovers of an earlier
// one.
var runID = strconv.FormatInt(int64(os.Getpid()), 36) + string(rune('a'+rand.IntN(26))) + string(rune('a'+rand.IntN(26)))

// Prefix is the start of every namespace name this package creates. It lets
// a person find leftovers with `ip netns list | grep ^nst`.
const Prefix = "nst"

// uniqueName returns a namespace name unique to this process and call, e.g.
// "nst2kfxq-7-client".
func uniqueName(role string) string {
	return fmt.Sprintf("%s%s-%d-%s", Prefix, runID, counter.Add(1), role)
}
