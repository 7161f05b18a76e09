package e2e

import (
	"os"
	"testing"

	"github.com/failoverkit/ipfailover/lab/cluster"
)

func TestMain(m *testing.M) {
	cluster.RunHelper() // the lab's forwarder runs as this binary
	os.Exit(m.Run())
}
