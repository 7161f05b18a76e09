//go:build linux

package announce

import (
	"fmt"
	"runtime"

	"github.com/vishvananda/netns"
)

// inNetNS runs fn on a new OS thread that has entered ns, and waits. The
// thread stays locked and is destroyed when fn returns, so no goroutine ever
// runs in ns by accident. Sockets fn creates stay in ns. When ns is not
// open, fn runs right here, in the caller's namespace, and nothing calls
// setns.
func inNetNS(ns netns.NsHandle, fn func() error) error {
	if !ns.IsOpen() {
		return fn()
	}
	errc := make(chan error, 1)
	go func() {
		err := fmt.Errorf("announce: goroutine in namespace %s exited early", ns)
		defer func() { errc <- err }()
		runtime.LockOSThread() // never unlocked: see above
		if serr := netns.Set(ns); serr != nil {
			err = fmt.Errorf("announce: entering namespace %s: %w", ns, serr)
			return
		}
		err = fn()
	}()
	return <-errc
}
