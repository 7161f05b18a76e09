package transport

import (
	"testing"
	"time"
	"unsafe"

	"golang.org/x/sys/unix"
)

// cmsg builds one control message as the kernel lays it out.
func cmsg(level, typ int32, data []byte) []byte {
	b := make([]byte, unix.CmsgSpace(len(data)))
	h := (*unix.Cmsghdr)(unsafe.Pointer(&b[0]))
	h.Level, h.Type = level, typ
	h.SetLen(unix.CmsgLen(len(data)))
	copy(b[unix.CmsgLen(0):], data)
	return b
}

func timespec(t time.Time) []byte {
	ts := unix.NsecToTimespec(t.UnixNano())
	return unsafe.Slice((*byte)(unsafe.Pointer(&ts)), unsafe.Sizeof(ts))
}

// TestRxTime: the SCM_TIMESTAMPNS message is found among the others in
// any position; without one, or in a truncated buffer, the time is zero.
func TestRxTime(t *testing.T) {
	at := time.Unix(1796202718, 881038808)
	pktinfo := cmsg(unix.IPPROTO_IPV6, unix.IPV6_PKTINFO, make([]byte, 20))
	hop := cmsg(unix.IPPROTO_IPV6, unix.IPV6_HOPLIMIT, []byte{255, 0, 0, 0})
	ts := cmsg(unix.SOL_SOCKET, unix.SCM_TIMESTAMPNS, timespec(at))
	cat := func(bs ...[]byte) []byte {
		var out []byte
		for _, b := range bs {
			out = append(out, b...)
		}
		return out
	}
	for _, tc := range []struct {
		name string
		oob  []byte
		want time.Time
	}{
		{"alone", ts, at},
		{"first", cat(ts, pktinfo, hop), at},
		{"last", cat(hop, pktinfo, ts), at},
		{"none", cat(hop, pktinfo), time.Time{}},
		{"empty", nil, time.Time{}},
		{"truncated", cat(hop, ts[:len(ts)-8]), time.Time{}},
		{"bad length", func() []byte { b := cat(ts); (*unix.Cmsghdr)(unsafe.Pointer(&b[0])).SetLen(4); return b }(), time.Time{}},
	} {
		if got := rxTime(tc.oob); !got.Equal(tc.want) {
			t.Errorf("%s: %v, want %v", tc.name, got, tc.want)
		}
	}
}
