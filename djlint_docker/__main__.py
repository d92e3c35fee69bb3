from djlint_docker.entry import run

run()
