// Package priority computes each node's VRRP priority for each group,
// deterministically and without coordination.
//
// The keepalived-ipfailover image derives priorities from the last octet of
// the node address, the replica count and a random number re-rolled at every
// start, and marks some groups "state MASTER"; a rebooted node can therefore
// pull every VIP to itself, and backups of equal priority are decided by
// chance. This package replaces that heuristic with a rotation:
//
//   - every replica has a slot s in 0..R-1 (R = replica count);
//   - for group k (1-based) the replica's distance is d = (k-1-s) mod R, so
//     slot 0 is preferred for groups 1, R+1, 2R+1…, slot 1 for groups 2,
//     R+2…, and every other replica backs it up in a fixed order;
//   - the priority is 250 − d·⌊240/R⌋, so preferred replicas hold 250,
//     the next backup 250−step, and the lowest one stays at or above 10.
//
// Distinct slots give distinct priorities in every group, so equal
// priorities cannot arise, and masters spread evenly over the replicas.
// Nobody starts as "state MASTER": a restarted node only takes back the
// groups it is preferred for, and only as the preemption policy allows.
//
// The slot comes from, in order: the node's position in OPENSHIFT_HA_NODES
// (the renderer writes it when the spec lists nodes), the position of the
// node's own address in OPENSHIFT_HA_UNICAST_PEERS, and otherwise the last
// octet of the node's IPv4 address modulo R. Only the last basis can give
// two replicas the same slot (addresses congruent modulo R); VRRP then
// breaks the tie on the higher primary address (RFC 9568 §6.4.3), and the
// agent logs the basis it used so the operator can see it.
//
// A priority pinned with OPENSHIFT_HA_PRIORITY overrides the rotation for
// every group (for manual runs and benchmarks); 255 makes the node the
// address owner, which takes over at once (RFC 9568 §6.4.1).
package priority
