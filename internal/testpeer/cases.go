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

// The cases that would not fit in a trailer of 8 KiB as they are: the
// peer's errcode server has to give things up to send them (see
// errcodegrpc's trailer budget).
const (
	// CaseHugeMessage is a VmSnapshotRestoreError whose message is about
	// 64 KiB of ASCII and multi-byte characters, with a retry-after hint
	// of 3s.
	CaseHugeMessage = "huge-message"
	// CaseWrapped100 is 100 coded layers: 99 VmSnapshotRestoreError
	// layers, each with a field, over a VmCapacityError.
	CaseWrapped100 = "wrapped-100"
	// CaseHugeField is a VmConfigError with a Safe field of 1 MiB and an
	// unsafe one of 64 KiB.
	CaseHugeField = "huge-field"
	// CaseDeepStack is a VmSnapshotCorruptError made 200 calls deep and
	// wrapped 30 times at other depths.
	CaseDeepStack = "deep-stack"
	// CaseInvalidUTF8 is a VmSnapshotRestoreError whose message has
	// bytes that are not UTF-8.
	CaseInvalidUTF8 = "invalid-utf8"
)

// CaseCapacity is a VmCapacityError with the code's own retry-after hint
// (1s).
const CaseCapacity = "capacity"

// BudgetCases are the cases a plain client that takes at most 8 KiB of
// trailers is tested with: the cases above and those that blow up the
// trailer.
var BudgetCases = []string{
	CaseSnapshotRestore, CaseSnapshotCorrupt, CaseConfig, CaseRetryOverride, CaseUncoded, CaseCapacity,
	CaseHugeMessage, CaseWrapped100, CaseHugeField, CaseDeepStack, CaseInvalidUTF8,
}
