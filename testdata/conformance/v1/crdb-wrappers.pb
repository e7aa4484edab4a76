Ð
û	ø	
îë
ÌÉ
£ 
ùö
¨¥
Ô
Ñ
badÉ
,github.com/errcode/errcode/*errcode.codedErr.
,github.com/errcode/errcode/*errcode.codedErrcode=VmConfigErrorretry=permanent6ancestors=VmPermanentError PermanentError SandboxErrormessage=safeË
=github.com/cockroachdb/errors/hintdetail/*hintdetail.withHint?
=github.com/cockroachdb/errors/hintdetail/*hintdetail.withHint"I
4type.googleapis.com/cockroach.errorspb.StringPayload
use fewer vcpusÈ
?github.com/cockroachdb/errors/hintdetail/*hintdetail.withDetailA
?github.com/cockroachdb/errors/hintdetail/*hintdetail.withDetail"B
4type.googleapis.com/cockroach.errorspb.StringPayload

asked 64¡
Hgithub.com/cockroachdb/errors/telemetrykeys/*telemetrykeys.withTelemetryJ
Hgithub.com/cockroachdb/errors/telemetrykeys/*telemetrykeys.withTelemetry	vm.config 
@github.com/cockroachdb/errors/issuelink/*issuelink.withIssueLinkB
@github.com/cockroachdb/errors/issuelink/*issuelink.withIssueLinkhttps://example.com/1d™
Fgithub.com/cockroachdb/errors/safedetails/*safedetails.withSafeDetailsH
Fgithub.com/cockroachdb/errors/safedetails/*safedetails.withSafeDetailsvm Ã—„
9github.com/cockroachdb/errors/domains/*domains.withDomainA
9github.com/cockroachdb/errors/domains/*domains.withDomainconfconfcreate: badÂ
9github.com/cockroachdb/errors/errutil/*errutil.withPrefix;
9github.com/cockroachdb/errors/errutil/*errutil.withPrefixcreate"@
4type.googleapis.com/cockroach.errorspb.StringPayload
create