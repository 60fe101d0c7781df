/** POST push takes no options; an empty class makes any given property a 400. */
export class PushDto {}
