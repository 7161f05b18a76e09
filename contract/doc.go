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
// The variables are one table, variables in names.go: each row gives a
// variable's name, the Field findings name it by, and whether only our
// agent reads it. KnownVars, AgentOnly and Field.EnvName are derived from
// it. To add a setting: a name constant and a Field, one row in the table,
// its field in Config (and default), its decoding in FromEnv and encoding
// in Env; in the renderer, its spec path in fn/fieldpath.go, its resolution
// in fn/resolve.go and its import in fn/import.go.
package contract
