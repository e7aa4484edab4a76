package testpeer

import (
	"time"

	"google.golang.org/genproto/googleapis/rpc/errdetails"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/protoadapt"
	"google.golang.org/protobuf/types/known/durationpb"
)

// The cases of cmd/testpeer's gRPC server without errcode's
// interceptors: its Fail and FailStream return the status of
// ForeignStatus, built by hand as a server in another language would.
const (
	// ForeignCapacity is RESOURCE_EXHAUSTED with an ErrorInfo of reason
	// VM_CAPACITY_ERROR in errcode's default domain, a RetryInfo of 7s
	// and a BadRequest.
	ForeignCapacity = "foreign-capacity"
	// ForeignMetadataCode is FAILED_PRECONDITION with an ErrorInfo of a
	// foreign domain whose metadata["code"] is VmConfigError.
	ForeignMetadataCode = "foreign-metadata-code"
	// ForeignCommunication is UNAVAILABLE with an ErrorInfo of reason
	// COMMUNICATION_ERROR in errcode's default domain: a code that
	// decides no retry.
	ForeignCommunication = "foreign-communication"
	// ForeignOtherDomain is INTERNAL with an ErrorInfo of reason
	// VM_CAPACITY_ERROR in a foreign domain and no metadata: it names no
	// code of errcode's.
	ForeignOtherDomain = "foreign-other-domain"
	// ForeignRetryInfo is ABORTED with only a RetryInfo of 2s.
	ForeignRetryInfo = "foreign-retry-info"
	// ForeignUnavailable is UNAVAILABLE with no detail.
	ForeignUnavailable = "foreign-unavailable"
	// ForeignInvalidArgument is INVALID_ARGUMENT with no detail.
	ForeignInvalidArgument = "foreign-invalid-argument"
)

// The domains of the foreign cases' ErrorInfo.
const (
	// errcodeDomain is errcode.DefaultDomain, written out: this package
	// does not import errcode's.
	errcodeDomain = "github.com/errcode/errcode"
	// ForeignDomain is a domain that is not errcode's.
	ForeignDomain = "compute.example.com"
)

// ForeignStatus returns the status the foreign server fails the case
// named name with; ok is false for a name that is no foreign case.
func ForeignStatus(name string) (st *status.Status, ok bool) {
	var (
		c       codes.Code
		msg     string
		details []protoadapt.MessageV1
	)
	switch name {
	case ForeignCapacity:
		c, msg = codes.ResourceExhausted, "pool default is full"
		details = []protoadapt.MessageV1{
			&errdetails.ErrorInfo{Reason: "VM_CAPACITY_ERROR", Domain: errcodeDomain, Metadata: map[string]string{"pool": "default"}},
			&errdetails.RetryInfo{RetryDelay: durationpb.New(7 * time.Second)},
			&errdetails.BadRequest{FieldViolations: []*errdetails.BadRequest_FieldViolation{
				{Field: "vcpus", Description: "at most 64 in pool default"},
			}},
		}
	case ForeignMetadataCode:
		c, msg = codes.FailedPrecondition, "instance type not offered in this zone"
		details = []protoadapt.MessageV1{
			&errdetails.ErrorInfo{Reason: "ZONE_NOT_OFFERED", Domain: ForeignDomain, Metadata: map[string]string{"code": "VmConfigError"}},
		}
	case ForeignCommunication:
		c, msg = codes.Unavailable, "guest agent did not answer"
		details = []protoadapt.MessageV1{
			&errdetails.ErrorInfo{Reason: "COMMUNICATION_ERROR", Domain: errcodeDomain},
		}
	case ForeignOtherDomain:
		c, msg = codes.Internal, "someone else's capacity error"
		details = []protoadapt.MessageV1{
			&errdetails.ErrorInfo{Reason: "VM_CAPACITY_ERROR", Domain: ForeignDomain},
		}
	case ForeignRetryInfo:
		c, msg = codes.Aborted, "transaction aborted"
		details = []protoadapt.MessageV1{
			&errdetails.RetryInfo{RetryDelay: durationpb.New(2 * time.Second)},
		}
	case ForeignUnavailable:
		c, msg = codes.Unavailable, "backend down"
	case ForeignInvalidArgument:
		c, msg = codes.InvalidArgument, "name must not be empty"
	default:
		return nil, false
	}
	st = status.New(c, msg)
	if len(details) > 0 {
		var err error
		if st, err = st.WithDetails(details...); err != nil {
			panic("testpeer: " + err.Error()) // not for these messages
		}
	}
	return st, true
}
