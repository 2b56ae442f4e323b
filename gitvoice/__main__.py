from gitvoice.cli.main import main

main()
