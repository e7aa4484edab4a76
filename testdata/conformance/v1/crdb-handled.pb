
î
badæ
;github.com/cockroachdb/errors/barriers/*barriers.barrierErr=
;github.com/cockroachdb/errors/barriers/*barriers.barrierErr;details for github.com/errcode/errcode/*errcode.codedErr:::  code=VmConfigError  retry=permanent8  ancestors=VmPermanentError PermanentError SandboxError  message=safe¨masked error: bad
(1) bad
  | errcode: VmConfigError
  | ancestors: VmPermanentError PermanentError SandboxError
  | retry: permanent
Error types: (1) *errcode.codedErr"Œ
3type.googleapis.com/cockroach.errorspb.EncodedErrorÔ
Ñ
badÉ
,github.com/errcode/errcode/*errcode.codedErr.
,github.com/errcode/errcode/*errcode.codedErrcode=VmConfigErrorretry=permanent6ancestors=VmPermanentError PermanentError SandboxErrormessage=safe