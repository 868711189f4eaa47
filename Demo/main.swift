print("flare-demo")
