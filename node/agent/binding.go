package agent

import (
	"sync"

	"github.com/failoverkit/ipfailover/node/netif"
	"github.com/failoverkit/ipfailover/node/transport"
)

// Binding is what is bound to one incarnation of the interface.
type Binding struct {
	Link         netif.Link
	Conn4, Conn6 transport.Conn
	Announcer    Announcer
	AddrEvents   <-chan netif.AddrEvent
	closers      []func()
	once         sync.Once
}

// Close releases the binding; it is idempotent and safe on nil.
func (b *Binding) Close() {
	if b == nil {
		return
	}
	b.once.Do(func() {
		for i := len(b.closers) - 1; i >= 0; i-- {
			b.closers[i]()
		}
	})
}
