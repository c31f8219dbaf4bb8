// timer_vendor has no model of its own: its binding uses the bundled timer model, unchanged
// (the point of the device: another vendor's RTL checked against the model tandem ships).
