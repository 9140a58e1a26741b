from migrmeta.cli import main

main()
