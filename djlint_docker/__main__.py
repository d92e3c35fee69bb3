from djlint_docker.cli import main

main()
