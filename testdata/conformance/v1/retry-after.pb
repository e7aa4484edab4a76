Ô
Ó
Ð
resetÆ
,github.com/errcode/errcode/*errcode.codedErr.
,github.com/errcode/errcode/*errcode.codedErr code=CommunicationTransientErrorretry=transient%ancestors=TransientError SandboxErrormessage=safe|
2github.com/errcode/errcode/*errcode.withRetryAfter4
2github.com/errcode/errcode/*errcode.withRetryAfterretry-after=1.5s