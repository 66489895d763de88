from jiuzhu_decision.bootstrap import main

main()
