# cactus.gp — vlift report: the cactus (quantile) plot: for each tool, its solved operators
# sorted by time; the k-th point is the k-th fastest. Further right and lower is better.
# Variables: datafile outbase width height fontsize tools (space-separated labels) ntools nops
#            empty (1: no tool solved anything) tmax.
# datafile: one block per tool (blocks separated by two blank lines), rows "k seconds".
set termoption noenhanced
set datafile missing "NaN"
set logscale y
set format y "%g"
set xlabel "operators solved (VERIFIED or LIFTED)"
set ylabel "time per operator (s, median over repetitions)"
set key top left
set grid
set xrange [0:(nops > 0 ? nops : 1) + 0.5]
if (nops <= 20) { set xtics 1 }
set title "Cactus plot: operators solved within a time"
set terminal pngcairo size width,height font ",".fontsize noenhanced
set output outbase.".png"
if (empty) {
    set yrange [0.001:10]
    set label 1 "no operator was solved by any tool" at graph 0.5, 0.5 center
    plot 1/0 notitle
} else {
    set yrange [*:tmax * 3]
    plot for [i=0:ntools-1] datafile index i using 1:2 with linespoints pt (i % 7) + 4 lw 2 title word(tools, i + 1)
}
set terminal svg size width,height font "Sans,".fontsize noenhanced background "white"
set output outbase.".svg"
replot
