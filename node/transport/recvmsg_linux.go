package transport

import (
	"errors"
	"syscall"
	"unsafe"
)

// recvmsg(2) without the scheduler. syscall.Recvmsg enters the system call
// through syscall.Syscall, whose entersyscall wakes the runtime's sysmon
// thread whenever it sleeps (runtime/proc.go, entersyscallWakeSysmon); once
// woken by a system call, sysmon polls every 20 µs for the next
// millisecond before it backs off again. A backup of 254 groups makes two
// such calls per advert burst (the datagram, then EAGAIN), so sysmon's
// polling, not the agent, was most of its context switches (perf: the
// kernel's switch path ~40% of a backup's samples, of which sysmon's
// sleep and wake ≥ 17%). The sockets are non-blocking (the net package
// opens them so and waits in its poller), so recvmsg returns at once and
// needs none of what entersyscall arranges for a call that may block.

// recvmsgRaw reads one datagram into p and its control messages into oob,
// and the sender's address into from when it is not nil. It is
// syscall.Recvmsg without the sockaddr conversion and through RawSyscall;
// fd must be non-blocking.
func recvmsgRaw(fd int, p, oob []byte, from *syscall.RawSockaddrInet6) (n, oobn int, err error) {
	var iov syscall.Iovec
	iov.Base = unsafe.SliceData(p)
	iov.SetLen(len(p))
	msg := syscall.Msghdr{Iov: &iov, Iovlen: 1}
	if len(oob) > 0 {
		msg.Control = unsafe.SliceData(oob)
		msg.SetControllen(len(oob))
	}
	if from != nil {
		msg.Name = (*byte)(unsafe.Pointer(from))
		msg.Namelen = syscall.SizeofSockaddrInet6
	}
	r, _, e := syscall.RawSyscall(syscall.SYS_RECVMSG, uintptr(fd), uintptr(unsafe.Pointer(&msg)), 0)
	if e != 0 {
		return 0, 0, e
	}
	return int(r), int(msg.Controllen), nil
}

// msgReader reads a socket's datagrams with recvmsgRaw, waiting in the
// runtime's poller (so read deadlines apply), for both Conns. Its buffers,
// its results and the function it hands to RawConn.Read are made once, so
// a datagram costs no allocation here; one read at a time (the Conn's rmu).
type msgReader struct {
	rc   syscall.RawConn
	buf  []byte                    // one datagram
	oob  []byte                    // its control messages
	from syscall.RawSockaddrInet6  // its sender (IPv6 only; IPv4 reads it from the header)
	name *syscall.RawSockaddrInet6 // &from, or nil when the sender is not wanted

	n, oobn int
	err     error
	read    func(fd uintptr) bool
}

func newMsgReader(rc syscall.RawConn, size int, oob []byte, sender bool) *msgReader {
	r := &msgReader{rc: rc, buf: make([]byte, size), oob: oob}
	if sender {
		r.name = &r.from
	}
	r.read = func(fd uintptr) bool {
		r.n, r.oobn, r.err = recvmsgRaw(int(fd), r.buf, r.oob, r.name)
		return !errors.Is(r.err, syscall.EAGAIN)
	}
	return r
}

// next reads one datagram; b and oob are valid until the next call.
func (r *msgReader) next() (b, oob []byte, err error) {
	if err := r.rc.Read(r.read); err != nil {
		return nil, nil, err
	}
	if r.err != nil {
		return nil, nil, r.err
	}
	return r.buf[:r.n], r.oob[:r.oobn], nil
}
