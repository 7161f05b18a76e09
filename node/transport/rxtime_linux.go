package transport

import (
	"time"
	"unsafe"

	"golang.org/x/sys/unix"
)

// Kernel receive timestamps. Every socket asks for SO_TIMESTAMPNS (control,
// sockopt_linux.go), so each datagram carries, as an SCM_TIMESTAMPNS
// control message, the time the kernel received it. The agent restarts a
// backup's Master_Down_Timer from that time rather than from when its loop
// got to the advert (RFC 9568 §6.4.2: the timer runs from the advert's
// arrival), so the hand-off from the receiving goroutine to the loop does
// not lengthen Master_Down_Interval.

// sizeofTimespec is a struct timespec's size: two 64-bit fields.
const sizeofTimespec = int(unsafe.Sizeof(unix.Timespec{}))

// rxTimeSpace is the room the timestamp's control message takes.
var rxTimeSpace = unix.CmsgSpace(sizeofTimespec)

// rxTime returns the SCM_TIMESTAMPNS time among the control messages in
// oob, zero when there is none. It walks the messages itself rather than
// with syscall.ParseSocketControlMessage, which allocates for every
// datagram.
func rxTime(oob []byte) time.Time {
	for len(oob) >= unix.SizeofCmsghdr {
		h := (*unix.Cmsghdr)(unsafe.Pointer(&oob[0])) // the kernel aligns each header
		l := int(h.Len)
		if l < unix.SizeofCmsghdr || l > len(oob) {
			return time.Time{}
		}
		if h.Level == unix.SOL_SOCKET && h.Type == unix.SCM_TIMESTAMPNS && l >= unix.CmsgLen(sizeofTimespec) {
			ts := (*unix.Timespec)(unsafe.Pointer(&oob[unix.CmsgLen(0)]))
			return time.Unix(int64(ts.Sec), int64(ts.Nsec)) //nolint:unconvert // 32-bit platforms

		}
		next := unix.CmsgSpace(l - unix.CmsgLen(0))
		if next > len(oob) {
			return time.Time{}
		}
		oob = oob[next:]
	}
	return time.Time{}
}
