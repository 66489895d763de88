from jiuzhu_console.bootstrap import main

main()
