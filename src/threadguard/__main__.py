from threadguard.cli import app

app(prog_name="threadguard")
