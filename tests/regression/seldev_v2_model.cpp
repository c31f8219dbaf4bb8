// seldev_v2 has no model of its own: its binding uses seldev's model, unchanged (the point of
// the regression flow: the map and the RTL moved on, the model did not).
