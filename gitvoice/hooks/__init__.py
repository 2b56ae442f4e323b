"""The run-time side of git's hooks (prepare-commit-msg, commit-msg) and the one check they share with
`git voice check`. Fast-path code: importing it pulls in no click, torch or numpy."""
