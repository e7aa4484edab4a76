package main

import (
	"errors"
	"fmt"
	"strings"
	"time"

	crdberrors "github.com/cockroachdb/errors"

	"github.com/errcode/errcode"
	"github.com/errcode/errcode/internal/testpeer"
)

// deadline is the time.Time field of CaseSnapshotRestore.
var deadline = time.Date(2025, 3, 1, 12, 30, 0, 123456789, time.UTC)

// makeError returns the error of the case named name, its CaseField set
// to key.
func makeError(key, name string) error {
	switch name {
	case testpeer.CaseSnapshotRestore:
		return VmSnapshotRestoreError.New("restore snap-42: memory image truncated at 1.5 GiB",
			testpeer.CaseField, key,
			"vm_id", int32(7),
			"deadline", deadline,
			"digest", []byte{0xde, 0xad, 0xbe, 0xef},
			"meta", map[string]any{"host": "node-3", "attempt": 2, "ratio": 0.75})
	case testpeer.CaseSnapshotCorrupt:
		return VmSnapshotCorruptError.Wrap(errors.New("sha256 mismatch"), "snapshot snap-42 is corrupt",
			testpeer.CaseField, key, "expected_sha256", "ab12cd34")
	case testpeer.CaseConfig:
		return errcode.VmConfigError.New("vcpus must be between 1 and 64, got 128",
			testpeer.CaseField, key, "vcpus", 128)
	case testpeer.CaseRetryOverride:
		return errcode.WithRetry(VmSnapshotRestoreError.New("restore snap-7: disk quota exceeded",
			testpeer.CaseField, key), errcode.Permanent)
	case testpeer.CaseUncoded:
		return errors.New("plain failure")
	case testpeer.CaseCapacity:
		return errcode.VmCapacityError.New("pool default is full", testpeer.CaseField, key, "pool", errcode.Safe("default"))
	}
	if err := budgetError(key, name); err != nil {
		return err
	}
	return fmt.Errorf("testpeer: no case %q", name)
}

// budgetError returns the error of a case that would not fit in a
// trailer of 8 KiB as it is, or nil for a name that is no such case.
func budgetError(key, name string) error {
	switch name {
	case testpeer.CaseHugeMessage:
		// 64 KiB of 1-, 2-, 3- and 4-byte characters, so that a cut may
		// fall inside one.
		msg := strings.Repeat("vm-7 ü € 𝄞 ", 64<<10/len("vm-7 ü € 𝄞 "))
		return errcode.WithRetryAfter(VmSnapshotRestoreError.New(msg, testpeer.CaseField, key), 3*time.Second)
	case testpeer.CaseWrapped100:
		err := errcode.VmCapacityError.New("pool full", testpeer.CaseField, key, "pool", "default")
		for i := 1; i < 100; i++ {
			err = VmSnapshotRestoreError.Wrap(err, fmt.Sprintf("layer %d", i), "i", i)
		}
		return err
	case testpeer.CaseHugeField:
		return errcode.VmConfigError.New("bad config", testpeer.CaseField, key,
			"blob", errcode.Safe(strings.Repeat("b", 1<<20)),
			"secret", strings.Repeat("s", 64<<10))
	case testpeer.CaseDeepStack:
		return recurse(200, func() error {
			var err error = VmSnapshotCorruptError.New("checksum mismatch", testpeer.CaseField, key)
			for i := range 30 {
				err = recurse(i, func() error { return crdberrors.Wrap(errcode.SandboxError.Wrap(err, "restore"), "retry") })
			}
			return err
		})
	case testpeer.CaseInvalidUTF8:
		return VmSnapshotRestoreError.New("restore snap-\xff\xfe: bad \xc3 bytes", testpeer.CaseField, key)
	}
	return nil
}

// recurse returns f's error from n calls deep, so that its stack is
// full.
func recurse(n int, f func() error) error {
	if n == 0 {
		return f()
	}
	return recurse(n-1, f)
}
