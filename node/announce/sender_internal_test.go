//go:build linux

package announce

import (
	"errors"
	"net"
	"net/netip"
	"testing"

	"github.com/mdlayher/ndp"
	"golang.org/x/net/bpf"
)

// fakeNA is an naConn that fails its writes on demand.
type fakeNA struct {
	writes  int
	failErr error
	closed  bool
}

func (f *fakeNA) WriteTo(m ndp.Message, dst netip.Addr) error {
	if dst != netip.IPv6LinkLocalAllNodes() {
		return errors.New("unexpected destination")
	}
	f.writes++
	return f.failErr
}

func (f *fakeNA) Close() error { f.closed = true; return nil }

func TestSendNAReopens(t *testing.T) {
	var opened []*fakeNA
	failOpen := true
	s := &LinkSender{ifi: &net.Interface{Name: "eth0"}}
	s.openNA = func() (naConn, error) {
		if failOpen {
			return nil, ErrNoLinkLocal
		}
		c := &fakeNA{}
		opened = append(opened, c)
		return c, nil
	}
	na, err := UnsolicitedNA(netip.MustParseAddr("2001:db8::200"), net.HardwareAddr{2, 0, 0, 0, 0, 1}, false)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.SendNA(na); !errors.Is(err, ErrNoLinkLocal) {
		t.Fatalf("first SendNA = %v, want ErrNoLinkLocal", err)
	}
	failOpen = false
	if err := s.SendNA(na); err != nil {
		t.Fatal(err)
	}
	if err := s.SendNA(na); err != nil || len(opened) != 1 || opened[0].writes != 2 {
		t.Fatalf("SendNA = %v; %d sockets opened; want one socket reused", err, len(opened))
	}
	opened[0].failErr = errors.New("network is down")
	if err := s.SendNA(na); err == nil {
		t.Fatal("SendNA hid a write error")
	}
	if !opened[0].closed {
		t.Error("socket not closed after a write error")
	}
	if err := s.SendNA(na); err != nil || len(opened) != 2 {
		t.Errorf("SendNA after a write error = %v with %d sockets opened, want a fresh socket", err, len(opened))
	}
}

func TestDropAllFilter(t *testing.T) {
	want, err := bpf.Assemble([]bpf.Instruction{bpf.RetConstant{Val: 0}})
	if err != nil {
		t.Fatal(err)
	}
	if len(dropAll) != 1 || dropAll[0] != want[0] {
		t.Errorf("dropAll = %+v, want %+v", dropAll, want)
	}
}
