# stages.gp — vlift report: where the time goes — median seconds of each lifter stage
# (symexec, synth, verify, simplify, check) as stacked bars per operator.
# Variables: datafile outbase width height fontsize nrows empty (1: no tool reported stages).
# datafile: header `operator symexec synth verify simplify check`, then one row per bar.
set termoption noenhanced
set key autotitle columnheader outside right top
set style data histograms
set style histogram rowstacked
set style fill solid 0.85 border -1
set boxwidth 0.7
set ylabel "seconds (median over repetitions)"
set yrange [0:*]
set grid ytics
set xtics nomirror rotate by 40 right
set title "Time per stage"
w = (nrows * 22 + 300 > width) ? nrows * 22 + 300 : width   # room for every bar
set terminal pngcairo size w,height font ",".fontsize noenhanced
set output outbase.".png"
if (empty) {
    unset key
    set yrange [0:1]
    set label 1 "no tool reported stage times" at graph 0.5, 0.5 center
    plot 1/0 notitle
} else {
    plot for [i=2:6] datafile using i:xtic(1)
}
set terminal svg size w,height font "Sans,".fontsize noenhanced background "white"
set output outbase.".svg"
replot
