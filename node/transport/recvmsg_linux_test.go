package transport

import (
	"bytes"
	"errors"
	"net"
	"net/netip"
	"syscall"
	"testing"
	"unsafe"
)

// udpPair is a non-blocking UDP socket bound on the loopback address of
// family, with IP(V6)_PKTINFO asked for, and a socket sending to it.
func udpPair(t *testing.T, family int) (recv, send int, to syscall.Sockaddr) {
	t.Helper()
	open := func() int {
		fd, err := syscall.Socket(family, syscall.SOCK_DGRAM|syscall.SOCK_NONBLOCK|syscall.SOCK_CLOEXEC, 0)
		if err != nil {
			t.Fatalf("socket: %v", err)
		}
		t.Cleanup(func() { syscall.Close(fd) })
		return fd
	}
	recv, send = open(), open()
	var bind syscall.Sockaddr = &syscall.SockaddrInet4{Addr: [4]byte{127, 0, 0, 1}}
	level, opt := syscall.IPPROTO_IP, syscall.IP_PKTINFO
	if family == syscall.AF_INET6 {
		bind = &syscall.SockaddrInet6{Addr: netip.IPv6Loopback().As16()}
		level, opt = syscall.IPPROTO_IPV6, syscall.IPV6_RECVPKTINFO
	}
	if err := syscall.Bind(recv, bind); err != nil {
		t.Fatalf("bind: %v", err)
	}
	if err := syscall.SetsockoptInt(recv, level, opt, 1); err != nil {
		t.Fatalf("pktinfo: %v", err)
	}
	to, err := syscall.Getsockname(recv)
	if err != nil {
		t.Fatalf("getsockname: %v", err)
	}
	return recv, send, to
}

// TestRecvmsgRaw: recvmsgRaw reads what syscall.Recvmsg, the call it
// replaces, reads from the same datagram (bytes, length, control
// messages, sender), also when the buffer is short, and EAGAIN when
// nothing waits.
func TestRecvmsgRaw(t *testing.T) {
	payload := bytes.Repeat([]byte("vrrp"), 16)
	for _, tc := range []struct {
		name   string
		family int
		buf    int
	}{
		{"ipv4", syscall.AF_INET, 1500},
		{"ipv6", syscall.AF_INET6, 1500},
		{"ipv4 short buffer", syscall.AF_INET, 10},
		{"ipv6 short buffer", syscall.AF_INET6, 10},
	} {
		t.Run(tc.name, func(t *testing.T) {
			recv, send, to := udpPair(t, tc.family)
			if _, _, err := recvmsgRaw(recv, make([]byte, tc.buf), make([]byte, 256), nil); !errors.Is(err, syscall.EAGAIN) {
				t.Fatalf("empty socket: err %v, want EAGAIN", err)
			}
			for range 2 {
				if err := syscall.Sendto(send, payload, 0, to); err != nil {
					t.Fatalf("sendto: %v", err)
				}
			}
			wantB, wantOOB := make([]byte, tc.buf), make([]byte, 256)
			wn, woobn, _, wfrom, err := syscall.Recvmsg(recv, wantB, wantOOB, 0)
			if err != nil {
				t.Fatalf("syscall.Recvmsg: %v", err)
			}
			gotB, gotOOB := make([]byte, tc.buf), make([]byte, 256)
			var from syscall.RawSockaddrInet6
			n, oobn, err := recvmsgRaw(recv, gotB, gotOOB, &from)
			if err != nil {
				t.Fatalf("recvmsgRaw: %v", err)
			}
			if n != wn || !bytes.Equal(gotB[:n], wantB[:wn]) {
				t.Errorf("datagram %q (%d), want %q (%d)", gotB[:n], n, wantB[:wn], wn)
			}
			if oobn == 0 || oobn != woobn || !bytes.Equal(gotOOB[:oobn], wantOOB[:woobn]) {
				t.Errorf("control messages %x, want %x", gotOOB[:oobn], wantOOB[:woobn])
			}
			switch sa := wfrom.(type) {
			case *syscall.SockaddrInet6:
				if from.Family != syscall.AF_INET6 || from.Addr != sa.Addr {
					t.Errorf("sender family %d %x, want AF_INET6 %x", from.Family, from.Addr, sa.Addr)
				}
			case *syscall.SockaddrInet4:
				// The raw name is a sockaddr_in in the sockaddr_in6's space.
				sin := (*syscall.RawSockaddrInet4)(unsafe.Pointer(&from))
				if sin.Family != syscall.AF_INET || sin.Addr != sa.Addr {
					t.Errorf("sender family %d %v, want AF_INET %v", sin.Family, sin.Addr, sa.Addr)
				}
			default:
				t.Fatalf("syscall.Recvmsg sender %T", wfrom)
			}
			if _, _, err := recvmsgRaw(recv, gotB, gotOOB, nil); !errors.Is(err, syscall.EAGAIN) {
				t.Errorf("after both datagrams: err %v, want EAGAIN", err)
			}
		})
	}
}

// TestMsgReaderNoAlloc: reading a datagram through the Conns' msgReader
// (RawConn.Read, the poller, recvmsgRaw) allocates nothing, and hands
// over the datagram, its control messages and its sender.
func TestMsgReaderNoAlloc(t *testing.T) {
	recv, err := net.ListenUDP("udp6", &net.UDPAddr{IP: net.IPv6loopback})
	if err != nil {
		t.Fatalf("listen: %v", err)
	}
	defer recv.Close()
	rc, err := recv.SyscallConn()
	if err != nil {
		t.Fatalf("syscall conn: %v", err)
	}
	var serr error
	if err := rc.Control(func(fd uintptr) {
		serr = syscall.SetsockoptInt(int(fd), syscall.IPPROTO_IPV6, syscall.IPV6_RECVPKTINFO, 1)
	}); err != nil || serr != nil {
		t.Fatalf("pktinfo: %v %v", err, serr)
	}
	send, err := net.DialUDP("udp6", nil, recv.LocalAddr().(*net.UDPAddr))
	if err != nil {
		t.Fatalf("dial: %v", err)
	}
	defer send.Close()
	r := newMsgReader(rc, maxDatagram, make([]byte, 256), true)
	payload := []byte("advert")
	const runs = 50
	for range runs + 1 { // AllocsPerRun runs once more to warm up
		if _, err := send.Write(payload); err != nil {
			t.Fatalf("write: %v", err)
		}
	}
	var got []byte
	var oobn int
	allocs := testing.AllocsPerRun(runs, func() {
		b, oob, err := r.next()
		if err != nil {
			t.Fatalf("next: %v", err)
		}
		got, oobn = b, len(oob)
	})
	if allocs != 0 {
		t.Errorf("%v allocations per datagram, want 0", allocs)
	}
	if !bytes.Equal(got, payload) || oobn == 0 || r.from.Family != syscall.AF_INET6 || r.from.Addr != netip.IPv6Loopback().As16() {
		t.Errorf("datagram %q, %d bytes of control messages, sender %d %x; want %q, some, AF_INET6 ::1", got, oobn, r.from.Family, r.from.Addr, payload)
	}
}
