/**
 * SDN programming that knows nothing about BGP: desired table (prefix to next hops), reconcile,
 * and the ovn, linux and file drivers.
 */
package io.cairn.sdn;
