package testpeer

// The cases cmd/testpeer fails with, by name: Fail, FailStream and its
// HTTP endpoint GET /fail/{name} return the error of the case.
const (
	// CaseSnapshotRestore is a VmSnapshotRestoreError, a code only the
	// peer registers (under VmTransientError), with typed fields.
	CaseSnapshotRestore = "snapshot-restore"
	// CaseSnapshotCorrupt is a VmSnapshotCorruptError (registered by the
	// peer only, under VmSnapshotRestoreError) wrapping a plain error.
	CaseSnapshotCorrupt = "snapshot-corrupt"
	// CaseConfig is a VmConfigError, a code of the catalog.
	CaseConfig = "config"
	// CaseRetryOverride is a VmSnapshotRestoreError overridden to
	// Permanent with errcode.WithRetry.
	CaseRetryOverride = "retry-override"
	// CaseUncoded is an error without a code.
	CaseUncoded = "uncoded"
)

// CaseField is the field, a string, that names the case of each coded
// error the peer sends, prefixed by the transport ("Fail/config",
// "FailStream/config", "http/config"). CheckHop uses it to find what the
// peer sent.
const CaseField = "case"
