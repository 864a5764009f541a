# users-shop: a pacer load plot (pacer 0.1.0).  To draw it again, in this directory:
#   gnuplot users-shop.gp
set terminal pngcairo size 1000,1150 font 'sans,10' noenhanced
set output 'users-shop.png'
set encoding utf8
set datafile separator tab
set datafile missing 'NaN'
set border lc '#606060'
set grid lc '#e0e0e0' lt 1
set border 3
set xtics nomirror out
set ytics nomirror out font ',9'
set grid xtics ytics
set xrange [0:45]
set format y '%g'
set key outside right top vertical font ',8' samplen 2
set multiplot layout 6,1 margins 0.0800,0.8900,0.0522,0.9391 spacing 0,0.0122 title 'users/shop'."\n".'closed loop in 3 stages, 800 connections, 1 repetition' font ',12'

set format x ''
set xlabel ''
set yrange [0:920]
set ytics 200
set ylabel 'users'
plot 'users-shop-series.dat' index 0 using 1:12 with steps lw 1 dt 2 lc '#8c8c8c' title 'asked', \
     'users-shop-series.dat' index 0 using 1:13 with steps lw 1.5 lc '#1f77b4' title 'in place'
unset label 2
unset label 1

set format x ''
set xlabel ''
set yrange [0:4.56435]
set ytics 1
set ylabel 'throughput (k req/s)'
plot 'users-shop-series.dat' index 0 using 1:($4/1000) with steps lw 1.5 lc '#1f77b4' notitle
unset label 2

set format x ''
set xlabel ''
set yrange [0:148.924]
set ytics 50
set ylabel 'latency (ms)'
plot 'users-shop-series.dat' index 0 using 1:($7/1e+06) with steps lw 1.5 lc '#1f77b4' title 'p99', \
     'users-shop-series.dat' index 0 using 1:($5/1e+06) with steps lw 1 dt 2 lc '#1f77b4' title 'p50'
unset label 2

set format x ''
set xlabel ''
set yrange [0:1]
set ytics 0.2
set ylabel 'errors/s'
set label 2 'no errors' at graph 0.5, graph 0.5 center tc '#909090'
plot 'users-shop-series.dat' index 0 using 1:11 with steps lw 1.5 lc '#d62728' notitle
unset label 2

set format x ''
set xlabel ''
set yrange [0:116.891]
set ytics 50
set ylabel 'CPU (% of a core)'
plot 'users-shop-cpu.dat' index 0 using 1:2 with lines lw 1.5  lc '#1f77b4' title 'server', \
     'users-shop-cpu.dat' index 1 using 1:2 with lines lw 1 dt 2 lc '#8c8c8c' title 'pacer'
unset label 2

set format x '%g'
set xlabel 'time (s)'
set yrange [0:55.1281]
set ytics 20
set ylabel 'server RSS (MiB)'
plot 'users-shop-monitor.dat' index 0 using 1:($4/1048576) with lines lw 1.5 lc '#1f77b4' notitle
unset label 2

unset multiplot
