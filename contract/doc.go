// Package contract is the single owner of the OPENSHIFT_HA_* environment
// contract between the renderer (which writes it into a Deployment) and the
// node agent (which reads it at start-up).
//
// The contract is the one of OpenShift's keepalived-ipfailover image: the
// same variable names with the same meaning, so that a Deployment written for
// that image runs unchanged with our agent, and the renderer can target that
// image. Where the image silently mishandles a value (spaces or CIDR suffixes
// in the VIP list, descending ranges, VRIDs past 255, non-numeric ports,
// mixed address families in one VRRP group), this package reports an error
// that names the variable and the rule broken instead.
//
// The package owns:
//   - the variable names and their defaults (image defaults for the agent,
//     renderer defaults for a spec that leaves a field out);
//   - VIP parsing: addresses and ranges (192.0.2.10-12, 192.0.2.10-192.0.2.12,
//     2001:db8::a-f, case-insensitive) and their canonical env form;
//   - the grouping of VIPs into VRRP groups and the VRID of each group,
//     including the HA_EXCLUDED_VRRP_IDS shifting;
//   - keepalived-compatible names (instance names, router id, the PASS
//     authentication string);
//   - reading a Config from an environment and writing one back.
//
// It does no I/O: callers pass a lookup function for the environment.
//
// The variables are one table, variables in table.go; each row is one
// variable, everything about it:
//
//	{EnvMonitorPort, FieldMonitorPort, false, strconv.Itoa(DefaultMonitorPort), number(func(c *Config) *int { return &c.MonitorPort }), always},
//	 name            Field in findings agent-only  default (as text)          codec: how it decodes and encodes       when Env writes it
//
// KnownVars, AgentOnly, Field.EnvName, ImageDefaults (every default
// decoded), FromEnv (a loop decoding each set variable in table order)
// and Env (a loop encoding the always-written rows, then the rows written
// when set) are all derived from it. The codecs are small: text, number,
// address and a few named ones (vipList, preemption, the check's). Tests
// guard the table: every row has both directions and a valid default, and
// FromEnv(Env(c)) == c over generated configurations (FuzzEnvRoundTrip).
//
// To add a setting: a name constant (names.go) and a Field (errors.go),
// its field in Config (and a default constant), one row in the table,
// and its rule in Config.Validate if it has one. On the spec side: its
// field in api/v1alpha1 (make crd regenerates the CRD) and one row in the
// spec mapping, settings in fn/mapping.go, which gives the spec path
// findings point at, how the renderer resolves the spec field into the
// Config and how import writes it back. Tests fail when a Field has no
// variable or no mapping row, and FromEnv(Env(c)) == c and
// import(render(spec)) == spec check both tables end to end.
package contract
