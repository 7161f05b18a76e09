package cluster

import (
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"os"
	"sync"
	"time"
)

// The forwarder is a helper process: the lab's own executable started with
// roleEnv=forward inside the control-plane namespace, holding (as fd 3) a
// listener that was opened on 127.0.0.1 in the caller's namespace. It
// accepts there and dials the API server in its own namespace, so the
// machine's shell reaches the lab with no route or address of its own.
const (
	roleEnv      = "IPFLAB_ROLE"
	forwardToEnv = "IPFLAB_FORWARD_TO"
	roleForward  = "forward"
)

// dialTimeout bounds each dial into the control-plane namespace.
const dialTimeout = 5 * time.Second

// RunHelper runs the forwarder and exits when this process was started as
// one; otherwise it returns at once. Call it first in main (and TestMain)
// of every program that calls Up.
func RunHelper() {
	if os.Getenv(roleEnv) != roleForward {
		return
	}
	err := forward(os.NewFile(3, "listener"), os.Getenv(forwardToEnv))
	slog.Error("forwarder stopped", "err", err)
	os.Exit(1)
}

func forward(f *os.File, target string) error {
	if target == "" {
		return errors.New("forward: " + forwardToEnv + " is empty")
	}
	ln, err := net.FileListener(f)
	if err != nil {
		return fmt.Errorf("forward: inherited listener: %w", err)
	}
	for {
		c, err := ln.Accept()
		if err != nil {
			return fmt.Errorf("forward: accept: %w", err)
		}
		go pipe(c, target)
	}
}

// pipe copies both ways until either side closes.
func pipe(c net.Conn, target string) {
	defer c.Close()
	u, err := net.DialTimeout("tcp", target, dialTimeout)
	if err != nil {
		slog.Warn("forward: dial", "target", target, "err", err)
		return
	}
	defer u.Close()
	var wg sync.WaitGroup
	wg.Add(2)
	copyHalf := func(dst, src net.Conn) {
		defer wg.Done()
		_, _ = io.Copy(dst, src)
		if tc, ok := dst.(*net.TCPConn); ok {
			_ = tc.CloseWrite()
		}
	}
	go copyHalf(u, c)
	go copyHalf(c, u)
	wg.Wait()
}
