
C
plain:
errors/*errors.errorString
errors/*errors.errorString