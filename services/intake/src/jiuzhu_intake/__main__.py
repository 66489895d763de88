from jiuzhu_intake.bootstrap import main

main()
